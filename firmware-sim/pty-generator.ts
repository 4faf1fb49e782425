import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import * as pty from 'node-pty';
import { createGeneratorServer, type GeneratorServer, type GeneratorServerOptions } from './generator-server.js';

/**
 * The simulator on a real pseudo-terminal, so any serial client (the companion, `serialport`, screen)
 * can open its path like a USB-serial adapter.
 *
 * node-pty's open() gives the master (`_master`, our end), the slave path (`_pty`, the client's end)
 * and a socket reading the slave (`_slave`). That socket must go: it would steal bytes meant for the
 * client. We first put the slave in raw mode through it (no echo, no line editing, no CR/NL mapping),
 * then hold the slave open with a plain fd that nobody reads, and destroy the socket. Holding the fd
 * keeps the master alive while no client has the path open, so a client may close and reopen it.
 */

export interface PtyGeneratorOptions extends GeneratorServerOptions {
  /** Also keep a symlink at this path pointing to the current pty (stable across replug). */
  linkPath?: string;
}

export interface PtyGenerator {
  /** The slave path to connect to, e.g. /dev/pts/3. A replug makes a new one. */
  readonly path: string;
  server: GeneratorServer;
  /** Closes the master: an open client sees its port close (serialport: 'close' with disconnected). */
  unplug(): void;
  /** A new pty for the same generator (same model, same boot id); resolves to its path. */
  replug(): Promise<string>;
  close(): Promise<void>;
}

/** A raw pseudo-terminal pair: our master end, the slave path a serial client opens, the slave held open unread. */
export interface OpenedPty {
  path: string;
  master: Duplex;
  slaveFd: number;
}

interface NodePtyInternals {
  _pty: string;
  _master: Duplex;
  _slave: Duplex & { setRawMode(raw: boolean): void };
}

// open() exists in node-pty 1.1's JavaScript but not in its typings.
const openPty = (pty as unknown as { open(options: { encoding: null }): NodePtyInternals }).open;

export function openRawPty(): OpenedPty {
  const term = openPty({ encoding: null });
  const path = term._pty;
  term._slave.setRawMode(true);
  const slaveFd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  term._slave.destroy();
  // node-pty throws from its own 'error' handler unless someone else listens; errors end the connection anyway.
  term._master.on('error', () => {});
  return { path, master: term._master, slaveFd };
}

export function closePty(p: OpenedPty): void {
  if (!p.master.destroyed) p.master.destroy();
  try {
    fs.closeSync(p.slaveFd);
  } catch {
    // already closed
  }
}

function pointLink(linkPath: string | undefined, target: string): void {
  if (!linkPath) return;
  // Only ever replace a symlink (ours, from a replug or an earlier run): never a file someone keeps there.
  const existing = fs.lstatSync(linkPath, { throwIfNoEntry: false });
  if (existing && !existing.isSymbolicLink())
    throw new Error(`${linkPath} exists and is not a symlink; it was left alone`);
  if (existing) fs.rmSync(linkPath);
  fs.symlinkSync(target, linkPath);
}

export async function startPtyGenerator(options: PtyGeneratorOptions = {}): Promise<PtyGenerator> {
  const server = createGeneratorServer(options);
  let current: OpenedPty | undefined;

  const plug = (): string => {
    const opened = openRawPty();
    current = opened;
    server.attach(opened.master);
    pointLink(options.linkPath, opened.path);
    return opened.path;
  };
  const unplug = (): void => {
    if (!current) return;
    server.unplug();
    closePty(current);
    current = undefined;
  };
  let path: string;
  try {
    path = plug();
  } catch (error) {
    // Nothing may outlive a failed start: an open pty or the server's timers would keep the process alive.
    unplug();
    server.close();
    throw error;
  }

  return {
    get path() {
      return path;
    },
    server,
    unplug,
    async replug() {
      unplug();
      path = plug();
      return path;
    },
    async close() {
      unplug();
      server.close();
      if (options.linkPath) fs.rmSync(options.linkPath, { force: true });
    },
  };
}
