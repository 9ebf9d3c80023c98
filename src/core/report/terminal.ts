/**
 * Text for a terminal, from notebooks nobody has vetted: a student's sentence, a saved error's name, a file
 * name can carry control characters that a terminal obeys — ESC sequences that clear the screen, erase the
 * line above (hiding a finding from the TA), set the window title or write the clipboard (OSC 52), a carriage
 * return that overwrites, bidirectional overrides that reorder what is read. Each is shown escaped instead:
 * C0 controls but newline and tab, DEL, C1 controls as `\xHH`; the bidirectional marks, embeddings, overrides
 * and isolates as `\u{HHHH}`.
 */

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
