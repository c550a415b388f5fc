import { StringDecoder } from 'node:string_decoder';

/** Longer lines are cut: one runaway line must not hold the whole output in memory. */
const MAX_LINE_CHARS = 8_192;

/** Turns chunks of a byte stream into whole lines (without the newline, `\r` removed). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE_CHARS) {
      this.emit(this.partial);
      this.partial = '';
    }
    for (const line of lines) this.emit(line);
  }

  /** Emits what is left after the stream ended without a final newline. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }

  private emit(line: string): void {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    this.onLine(clean.length > MAX_LINE_CHARS ? `${clean.slice(0, MAX_LINE_CHARS)} …` : clean);
  }
}
