/** The packet builder: crafts frames and capture files byte by byte, correct or broken on purpose. */
export * from './addr.js';
export * from './capture.js';
export * from './checksum.js';
export * from './family.js';
export * from './igmp.js';
export * from './ipv4.js';
export * from './link.js';
export * from './scenarios.js';
export * from './tunnel.js';
export * from './tunnel-scenarios.js';
