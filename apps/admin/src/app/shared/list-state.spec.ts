import { HttpErrorResponse } from '@angular/common/http';
import { Component, resource, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ListState } from './list-state';

/** A list whose loader the test controls. */
@Component({
  imports: [ListState],
  template: `<kr-list-state [of]="items" empty="No tenants yet."><ul data-testid="list"></ul></kr-list-state>`,
})
class Host {
  readonly answer = signal<() => Promise<{ items: string[] }>>(() => new Promise(() => undefined));
  readonly items = resource({ params: () => this.answer(), loader: ({ params }) => params() });
}

describe('ListState', () => {
  async function render(answer: () => Promise<{ items: string[] }>) {
    TestBed.configureTestingModule({ imports: [Host] });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.answer.set(answer);
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows progress while the first page loads', async () => {
    TestBed.configureTestingModule({ imports: [Host] });
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).querySelector('mat-progress-bar')).not.toBeNull();
  });

  it('says what to do when the list is empty', async () => {
    const { element } = await render(async () => ({ items: [] }));
    expect(element.querySelector('[role="status"]')?.textContent).toContain('No tenants yet.');
    expect(element.querySelector('[data-testid="list"]')).toBeNull();
  });

  it('shows the list when there are items', async () => {
    const { element } = await render(async () => ({ items: ['Client'] }));
    expect(element.querySelector('[data-testid="list"]')).not.toBeNull();
  });

  it("shows the API's message on failure and loads again on retry", async () => {
    let calls = 0;
    const { fixture, element } = await render(async () => {
      calls += 1;
      throw new HttpErrorResponse({ status: 503, error: { detail: 'The database cannot be reached right now; retry in a few seconds.' } });
    });
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The database cannot be reached right now; retry in a few seconds.');
    (element.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(calls).toBe(2);
  });
});
