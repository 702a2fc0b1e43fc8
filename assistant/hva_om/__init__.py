"""Hva om: what-if questions and the app's sliders, recomputed in memory.

Read the change from the question (`read`), load the year's stored tables through validated
SELECTs (`data`), turn the change into new costs or indicator values (`change`), recompute the
indices with the build's own functions and describe the ranks before and after (`compute`,
`text`). The database is never written.
"""
