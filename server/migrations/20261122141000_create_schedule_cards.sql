-- Instalments charged automatically from a card the debtor chose to save while paying one.
ALTER TABLE schedules ADD COLUMN card_payment_method TEXT;        -- Stripe PaymentMethod id, saved with consent
ALTER TABLE schedule_instalments ADD COLUMN charge_attempt_id TEXT; -- the one automatic charge tried for it
ALTER TABLE payment_attempts ADD COLUMN save_for_schedule TEXT;   -- the schedule whose card this attempt saves
