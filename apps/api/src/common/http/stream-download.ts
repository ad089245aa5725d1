import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Sends a download's text chunks at the pace the client reads them, so that memory stays flat whatever its size
 * (the console lets the browser save exports straight to disk). The status and headers are set by the caller.
 * A client that goes away stops the reading (the generator is returned: no further page is read); a failure half-way
 * destroys the socket, so that the download fails rather than ending short as if complete. The answer has begun
 * by then, so no problem document can follow: the failure is logged instead.
 */
export async function sendDownload(res: Response, chunks: AsyncIterable<string>, log: (message: string) => void): Promise<void> {
  try {
    await pipeline(Readable.from(chunks), res);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_STREAM_PREMATURE_CLOSE') log(`download stopped: ${String(error)}`);
  }
}
