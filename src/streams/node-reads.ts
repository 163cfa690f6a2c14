import { toZNode, type Stat, type ZNode } from '../model/stat.js';
import { ErrorCode } from '../wire/error-codes.js';
import { READ_AGAIN, type WatchedRead } from './watched-node.js';

/**
 * Reads a node's data with a data watch. A missing node is read with `exists` instead, whose
 * watch fires when it is created (getData leaves no watch on a missing node).
 */
export function readData(path: string): WatchedRead<ZNode | null> {
  return (wire, serverPath, watcher, done) => {
    wire.getData(serverPath, watcher, (error, result) => {
      if (!error) return done(null, toZNode(path, result!.data, result!.stat));
      if (error.code !== ErrorCode.noNode) return done(error);
      wire.exists(serverPath, watcher, (existsError, existing) => {
        if (existsError) return done(existsError);
        // Created between the two requests: read its data.
        done(null, existing ? READ_AGAIN : null);
      });
    });
  };
}

/**
 * Reads a node's data with a data watch, and a missing node as `null` with no watch at all
 * (getData leaves none on a missing node): for a node that matters only while it exists, such as
 * a child listed by its parent, whose re-creation the parent's child watch reports.
 */
export function readDataWhilePresent(path: string): WatchedRead<ZNode | null> {
  return (wire, serverPath, watcher, done) => {
    wire.getData(serverPath, watcher, (error, result) => {
      if (!error) return done(null, toZNode(path, result!.data, result!.stat));
      if (error.code !== ErrorCode.noNode) return done(error);
      done(null, null);
    });
  };
}

/**
 * Reads a node's child names with a child watch, or arms an existence watch while it is missing.
 * The names come sorted and frozen: every subscriber of a shared stream is given the same array.
 */
export function readChildren(): WatchedRead<readonly string[] | null> {
  return (wire, serverPath, watcher, done) => {
    wire.getChildren(serverPath, watcher, (error, children) => {
      if (!error) return done(null, Object.freeze(children!.slice().sort()));
      if (error.code !== ErrorCode.noNode) return done(error);
      wire.exists(serverPath, watcher, (existsError, existing) => {
        if (existsError) return done(existsError);
        done(null, existing ? READ_AGAIN : null);
      });
    });
  };
}

/** Reads a node's stat with an existence watch (fires on create, delete and data change). */
export function readStat(): WatchedRead<Stat | null> {
  return (wire, serverPath, watcher, done) => {
    wire.exists(serverPath, watcher, (error, stat) => {
      if (error) return done(error);
      done(null, stat ?? null);
    });
  };
}

/**
 * Reads whether a node is still there with getData only: once it is gone, no watch is left
 * behind on the server (an `exists` watch would stay armed on the missing path).
 */
export function readPresence(): WatchedRead<boolean> {
  return (wire, serverPath, watcher, done) => {
    wire.getData(serverPath, watcher, (error) => {
      if (!error) return done(null, true);
      if (error.code === ErrorCode.noNode) return done(null, false);
      done(error);
    });
  };
}
