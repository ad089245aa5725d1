import { HttpErrorResponse } from '@angular/common/http';
import { Component, resource, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ListState } from './list-state';
import { loaded } from './loaded';

/** A list whose loader the test controls. */
@Component({
  imports: [ListState],
  // The content reads the resource as pages do: it is evaluated even while the state hides it.
  template: `<kr-list-state [of]="items" empty="No tenants yet." [back]="{ label: 'Back to the widgets', link: '/widgets' }">
    <ul data-testid="list">@for (item of loaded(items)?.items; track item) {<li>{{ item }}</li>}</ul>
  </kr-list-state>`,
})
class Host {
  protected readonly loaded = loaded;
  readonly answer = signal<() => Promise<{ items: string[] }>>(() => new Promise(() => undefined));
  readonly items = resource({ params: () => this.answer(), loader: ({ params }) => params() });
}

describe('ListState', () => {
  async function render(answer: () => Promise<{ items: string[] }>) {
    TestBed.configureTestingModule({ imports: [Host], providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.answer.set(answer);
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows progress while the first page loads', async () => {
    TestBed.configureTestingModule({ imports: [Host], providers: [provideRouter([])] });
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

  it.each([
    [403, 'state-forbidden', 'You do not have access to this', 'Your role (operator) does not allow this: it needs the audit:read permission.'],
    [404, 'state-not-found', 'Not found', 'There is no widget with this id.'],
  ])('a %i is final: the problem detail and a way back, no spinner and no retry', async (status, testId, heading, detail) => {
    const { element } = await render(async () => {
      throw new HttpErrorResponse({ status, error: { detail } });
    });
    const state = element.querySelector(`[data-testid="${testId}"]`)!;
    expect(state.querySelector('h2')?.textContent).toBe(heading);
    expect(state.textContent).toContain(detail);
    expect(state.querySelector('a')?.getAttribute('href')).toBe('/widgets');
    expect(state.textContent).toContain('Back to the widgets');
    expect(element.querySelector('mat-progress-bar')).toBeNull();
    expect(element.querySelector('button')).toBeNull();
  });
});
