export * from './codec.js';
export * from './crc16.js';
export * from './error-codes.js';
export * from './framing.js';
export * from './limits.js';
export * from './line-splitter.js';
export * from './messages.js';
export * from './charge-density.js';
