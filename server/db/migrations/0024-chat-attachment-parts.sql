-- Attachment bytes in parts of at most 64 KiB, each written by its own short statement outside the
-- message's transaction. On the embedded database every statement runs on the server's one thread: one
-- 5 MiB bytea insert held it (and every other request, /health included) for seconds.
create table chat_attachment_parts (
  blob_id uuid not null,
  seq integer not null,
  data bytea not null,
  primary key (blob_id, seq)
);
-- Images, PDFs and the like are compressed already: storing parts as they are skips a futile pglz pass.
alter table chat_attachment_parts alter column data set storage external;

-- A new attachment points at its parts; rows from before keep their bytes in data.
alter table chat_attachments add column blob_id uuid;
alter table chat_attachments alter column data drop not null;
alter table chat_attachments add constraint chat_attachments_bytes check ((data is null) <> (blob_id is null));
