-- The indicator catalogue.
SELECT indikator, navn, enhet, hoyere_er_bedre FROM indikator
