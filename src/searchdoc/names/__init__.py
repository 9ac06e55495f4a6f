"""What a name is: its words and their spelling-variant keys (:mod:`.keys`, the one
normalization run at index and query time), the word lists that say what a word is
(:mod:`.lexicon`), natural order (:mod:`.order`), which column or key holds a name
(:mod:`.columns`) and whether two names name one person (:mod:`.agree`)."""
