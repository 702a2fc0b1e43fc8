import streamlit as st

st.title("Kommuneindeks-assistenten")
st.write("Appen kommer snart.")
