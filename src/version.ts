/**
 * netcompile's version, once: the CLI's --version, SARIF's tool version and the lock file's
 * `generator` all read it (a test keeps it equal to package.json's).
 */
export const VERSION = "0.1.0";

/** The lock file's `generator` field: the tool and its version. */
export const GENERATOR = `netcompile/${VERSION}`;

/**
 * Where netcompile's sources and documentation live: package.json's `repository` and
 * `homepage` (a test keeps them equal). Every documentation link is built on DOCS_BASE_URL, here
 * and nowhere else: the pages are the repository's files on its default branch.
 */
export const REPOSITORY_URL = "https://github.com/example/netcompile";
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/`;
