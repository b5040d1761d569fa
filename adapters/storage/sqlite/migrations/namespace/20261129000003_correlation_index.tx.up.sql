-- category.get with a correlation filter: a range scan of the category's
-- correlated messages in global-position order, as on PostgreSQL. Partial:
-- most messages carry no correlation.
CREATE INDEX IF NOT EXISTS messages_correlation ON messages (category, correlation, global_position)
    WHERE correlation IS NOT NULL;
