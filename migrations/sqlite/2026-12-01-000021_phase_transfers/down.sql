DROP TABLE phase_transfers;
