/** Saves text as a file through the browser's download, without a round trip to the server. */
export function downloadText(fileName: string, text: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}

/**
 * Lets the browser fetch a same-origin file itself (the session cookie goes along) and write it to disk as it
 * arrives: nothing is held in memory, so an export of any size works.
 */
export function downloadFrom(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = ''; // the server's Content-Disposition names the file
  link.click();
}
