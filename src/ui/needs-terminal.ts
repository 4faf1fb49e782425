/** Said when `scs` is started without a terminal; kept apart so the plain path never loads Ink. */
export const NEEDS_TERMINAL =
  'the bedside UI needs a terminal (stdin is not a TTY), so plain status lines follow. For a scripted ' +
  "session use 'scs script FILE' (see 'scs script --help'); pass --plain to ask for plain lines and skip this note.";
