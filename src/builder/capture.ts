/** Capture-file writers: classic pcap (in memory and streaming) and pcapng. */
export * from './pcap.js';
export * from './pcapng.js';
export * from './stream.js';
