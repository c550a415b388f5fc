/** The file operations the database services need, at the edge so the core stays pure. */
export interface DatabaseFiles {
  /** Creates `dir` when missing and proves a file can be written there (BACKUP_DIR_NOT_WRITABLE otherwise). */
  prepareDir(dir: string): Promise<void>;
  /** Size and lowercase hex SHA-256 of a file, read once. */
  digest(path: string): Promise<{ size: number; sha256: string }>;
  exists(path: string): Promise<boolean>;
  /** Atomic within one file system: the final name only ever holds a complete file. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; one that is already gone is fine. */
  remove(path: string): Promise<void>;
  /** Writes a new file; refuses (FILE_EXISTS) to overwrite one. */
  writeNew(path: string, content: string): Promise<void>;
}
