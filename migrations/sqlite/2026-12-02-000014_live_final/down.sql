DROP TABLE live_presence;
DROP TABLE live_saves;
DROP TABLE live_unlocks;
DROP TABLE live_pitches;
DROP TABLE live_finals;
