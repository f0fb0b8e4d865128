DROP TABLE audience_ballots;
DROP TABLE audience_tickets;
DROP TABLE audience_votes;
DROP TABLE day_links;
