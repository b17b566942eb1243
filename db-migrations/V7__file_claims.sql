-- Which instance reads which input file: camel-sql's idempotent repository layout (one row per claim,
-- keyed by the file's name in the data folder). The instance holding a claim refreshes createdAt while
-- it holds it; a claim older than pipeline.claim-expiry belongs to an instance that died and is taken
-- over. With time zone: instances on machines with different zones compare the same instants.
CREATE TABLE file_claim (
    processorName TEXT NOT NULL,
    messageId TEXT NOT NULL,
    createdAt TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (processorName, messageId)
);
