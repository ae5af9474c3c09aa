-- Issue 18, finance's dashboard: how long each courier has held cash reads that courier's recent
-- deliveries in time order (the oldest one not yet handed over), not every scan ever recorded.
CREATE INDEX shipment_events_delivered_by_idx ON shipment_events (recorded_by, occurred_at)
    WHERE type = 'delivered' AND applied;
