/**
 * pcap-parser 0.2.1 ships no types. Only the surface igmpscope relies on is declared; the
 * field names are the package's own.
 */
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';

  export interface GlobalHeader {
    magicNumber: number;
    majorVersion: number;
    minorVersion: number;
    gmtOffset: number;
    timestampAccuracy: number;
    snapshotLength: number;
    linkLayerType: number;
  }

  export interface PacketHeader {
    timestampSeconds: number;
    /** Microseconds for a µs file; whatever the file holds otherwise (nanoseconds, once our wrapper rewrites the ns magic). */
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  }

  export interface Packet {
    header: PacketHeader;
    /** A view into the parser's internal buffer, not a copy. */
    data: Buffer;
  }

  export interface Parser extends EventEmitter {
    on(event: 'globalHeader', listener: (header: GlobalHeader) => void): this;
    on(event: 'packetHeader', listener: (header: PacketHeader) => void): this;
    on(event: 'packetData', listener: (data: Buffer) => void): this;
    on(event: 'packet', listener: (packet: Packet) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'end', listener: () => void): this;
  }

  /** The minimum the parser calls on its input: it subscribes to data/error/end and calls pause/resume. */
  export interface ParserInput extends EventEmitter {
    pause(): unknown;
    resume(): unknown;
  }

  /** A path makes the parser open the file itself; igmpscope always passes a stream it feeds. */
  export function parse(input: string | ParserInput): Parser;
}
