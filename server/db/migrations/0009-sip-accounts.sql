-- Softphone provisioning: each user's SIP digest secret for the PBX (the extension is in 0001).
-- Stored in the clear because the softphone must answer digest challenges with it (RFC 3261 §22.4);
-- it is not the login password, it is returned only to its owner, and IT rotates it on the PBX side.
alter table users add column sip_password text check (sip_password is null or length(sip_password) between 1 and 256);
