// Schema versions, applied in order and recorded in PRAGMA user_version. Never edit a shipped step:
// add a new one, so a database from any older SmartSplit opens and upgrades in place.
export const MIGRATIONS: readonly string[] = [
  // v1
  `CREATE TABLE request_log (
     id INTEGER PRIMARY KEY,
     time_ms INTEGER NOT NULL,
     route TEXT NOT NULL,
     mode TEXT NOT NULL,
     tasks TEXT NOT NULL,
     providers_tried TEXT NOT NULL,
     provider TEXT,
     model TEXT,
     tokens_in INTEGER NOT NULL,
     tokens_out INTEGER NOT NULL,
     tokens_estimated INTEGER NOT NULL,
     latency_ms INTEGER NOT NULL,
     outcome TEXT NOT NULL,
     cost_usd REAL NOT NULL,
     saved_usd REAL NOT NULL,
     prompt TEXT
   );
   CREATE TABLE usage (
     day TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, key_index INTEGER NOT NULL,
     requests INTEGER NOT NULL, tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL,
     PRIMARY KEY (day, provider, model, key_index)
   );
   CREATE TABLE arms (
     task TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
     pulls INTEGER NOT NULL, reward_sum REAL NOT NULL,
     PRIMARY KEY (task, provider, model)
   );`,
  // v2: first-token latency, and an index for retention and /savings by day
  `ALTER TABLE request_log ADD COLUMN first_token_ms INTEGER;
   CREATE INDEX request_log_time ON request_log (time_ms);`,
  // v3: small named documents, e.g. the rate-limit counters that must survive a restart
  `CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // v4: squared rewards, for the learner's variance-aware exploration
  `ALTER TABLE arms ADD COLUMN reward_square_sum REAL;`,
  // v5: prompt tokens served from the provider's prompt cache, for /savings
  `ALTER TABLE usage ADD COLUMN tokens_cached INTEGER NOT NULL DEFAULT 0;`,
  // v6: what the dashboard and `smartsplit logs` show of each request: its id, endpoint, client, status,
  // each attempt with its latency, and how many providers failed it (failovers)
  `ALTER TABLE request_log ADD COLUMN request_id TEXT;
   ALTER TABLE request_log ADD COLUMN endpoint TEXT;
   ALTER TABLE request_log ADD COLUMN client TEXT;
   ALTER TABLE request_log ADD COLUMN status INTEGER;
   ALTER TABLE request_log ADD COLUMN attempts TEXT;
   ALTER TABLE request_log ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX request_log_request_id ON request_log (request_id);`,
]
