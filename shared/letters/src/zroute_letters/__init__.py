"""What the participant reads and hears: catalogues, the letter as PDF, speech, page links.

Nothing happens at import time: the catalogues load on first use, WeasyPrint when a PDF is
made, espeak-ng when audio is made.
"""
