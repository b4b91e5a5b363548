-- Which poll policy the DFU engine used on the job's board: the ROM behaviour table's choice for
-- the ROM it recognised (HELD_STATUS for ST's F4/F7 ROMs, WEDGE_RECOVERY for the H7, SPEC_LITERAL
-- for the rest) or SPEC_LITERAL forced by flashline.dfu.poll-policy. Null until IDENTIFY, and on
-- jobs recorded before this column existed.
ALTER TABLE job ADD COLUMN poll_policy VARCHAR(40);
