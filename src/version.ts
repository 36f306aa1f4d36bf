/**
 * netcompile's version, once: the CLI's --version, SARIF's tool version and the lock file's
 * `generator` all read it (a test keeps it equal to package.json's).
 */
export const VERSION = "0.1.0";

/** The lock file's `generator` field: the tool and its version. */
export const GENERATOR = `netcompile/${VERSION}`;
