-- PersonWord.word in code point order ("C"), whatever the database's collation: `purchaser:`
-- finds the start of a word as a range (word >= 'lopez' AND word < 'lope{'), which holds only in
-- code point order. Under a linguistic collation (en_US.UTF-8) punctuation such as '{' or ':'
-- weighs nothing, so a word ending in z or 9 fell outside its own range. The column's collation
-- also decides its comparisons with the query's text and orders both indexes (rebuilt here).
ALTER TABLE "PersonWord" ALTER COLUMN "word" SET DATA TYPE TEXT COLLATE "C";
