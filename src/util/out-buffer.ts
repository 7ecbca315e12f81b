// The bytes a stream produces from one chunk of its log, built in one growing buffer: per line only
// copies, no small Buffers and no arrays of pieces to join later.

const NL = 10;

export class OutBuffer {
  buf: Buffer;
  len = 0;

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + need));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Appends src[start, end). */
  put(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.len + n > this.buf.length) this.grow(n);
    if (n < 48) {
      // Short copies are cheaper in JS than across the native boundary.
      const b = this.buf;
      let p = this.len;
      for (let i = start; i < end; i++) b[p++] = src[i] as number;
    } else if (src instanceof Buffer) {
      src.copy(this.buf, this.len, start, end);
    } else {
      this.buf.set(src.subarray(start, end), this.len);
    }
    this.len += n;
  }

  /** Appends a whole buffer (a stream's constant prefix, say). */
  putAll(src: Uint8Array): void {
    this.put(src, 0, src.length);
  }

  putString(text: string): void {
    const n = Buffer.byteLength(text);
    if (this.len + n > this.buf.length) this.grow(n);
    this.len += this.buf.write(text, this.len);
  }

  /** Appends src[start, end) and a newline, reusing src's own newline when it has one there. */
  putLine(src: Buffer, start: number, end: number): void {
    if (src[end] === NL) this.put(src, start, end + 1);
    else {
      this.put(src, start, end);
      this.putByte(NL);
    }
  }

  putByte(b: number): void {
    if (this.len + 1 > this.buf.length) this.grow(1);
    this.buf[this.len++] = b;
  }

  /** Forgets what was written, keeping the memory (the bytes were copied out). */
  clear(): void {
    this.len = 0;
  }

  /** Leaves the written bytes to whoever holds them and continues in a new buffer. */
  detach(): void {
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.len = 0;
  }

  /** Hands over what was written and starts afresh. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.len);
    // The next chunk is likely about as large as this one.
    this.buf = Buffer.allocUnsafe(Math.max(16 * 1024, this.len * 2));
    this.len = 0;
    return out;
  }
}
