import { TestBed } from '@angular/core/testing';
import { CopyButton, SECRET_CLIPBOARD_MS } from './copy-button';

/** The browser's clipboard, as a value the test can read (jsdom has none). */
function fakeClipboard(initial = '', readable = true) {
  const clipboard = {
    text: initial,
    readText: async () => {
      if (!readable) throw new DOMException('Read permission denied.', 'NotAllowedError');
      return clipboard.text;
    },
    writeText: async (text: string) => {
      clipboard.text = text;
    },
  };
  Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true });
  // The CDK copies through a hidden textarea and execCommand; route that to the fake.
  document.execCommand = () => {
    clipboard.text = document.querySelector<HTMLTextAreaElement>('body > textarea')?.value ?? '';
    return true;
  };
  return clipboard;
}

describe('CopyButton', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function render(secret: boolean) {
    const fixture = TestBed.createComponent(CopyButton);
    fixture.componentRef.setInput('value', 's3cr3t-value');
    fixture.componentRef.setInput('secret', secret);
    fixture.detectChanges();
    (fixture.nativeElement.querySelector('button') as HTMLButtonElement).click();
    return fixture;
  }

  it('takes a copied secret off the clipboard after a minute', async () => {
    const clipboard = fakeClipboard();
    render(true);
    expect(clipboard.text).toBe('s3cr3t-value');
    await jest.advanceTimersByTimeAsync(SECRET_CLIPBOARD_MS - 1000);
    expect(clipboard.text).toBe('s3cr3t-value');
    await jest.advanceTimersByTimeAsync(1000);
    expect(clipboard.text).toBe('');
  });

  it('leaves alone what the user copied since', async () => {
    const clipboard = fakeClipboard();
    render(true);
    clipboard.text = 'something else';
    await jest.advanceTimersByTimeAsync(SECRET_CLIPBOARD_MS);
    expect(clipboard.text).toBe('something else');
  });

  it('clears when the browser will not say what the clipboard holds', async () => {
    const clipboard = fakeClipboard('', false);
    render(true);
    await jest.advanceTimersByTimeAsync(SECRET_CLIPBOARD_MS);
    expect(clipboard.text).toBe('');
  });

  it('keeps what is not a secret (a snippet, a link)', async () => {
    const clipboard = fakeClipboard();
    render(false);
    await jest.advanceTimersByTimeAsync(SECRET_CLIPBOARD_MS);
    expect(clipboard.text).toBe('s3cr3t-value');
  });
});
