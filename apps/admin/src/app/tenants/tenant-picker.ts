import { Component, computed, forwardRef, inject, input, resource, signal } from '@angular/core';
import { type ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';
import { MatAutocompleteModule, type MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Page, Tenant } from '@keyring/contracts';
import { Api } from '../core/api';
import { loaded } from '../shared/loaded';

/** How many matches the picker offers at once: typing more narrows them, however many tenants there are. */
const MATCHES = 20;
/** Wait for a pause in typing before asking the API. */
const TYPING_PAUSE_MS = 200;

/**
 * The tenants whose name holds what was typed, asked of the API after a pause in typing: the search of every tenant
 * picker. Call in a field initializer.
 */
export function tenantSearch(orgId: () => string) {
  const api = inject(Api);
  const query = signal('');
  let pause: ReturnType<typeof setTimeout> | undefined;
  const matches = resource({
    params: () => ({ orgId: orgId(), q: query() }),
    loader: ({ params }) => api.get<Page<Tenant>>(`/orgs/${params.orgId}/tenants`, { q: params.q || undefined, limit: MATCHES }),
  });
  return {
    matches,
    typed(text: string): void {
      clearTimeout(pause);
      pause = setTimeout(() => query.set(text.trim()), TYPING_PAUSE_MS);
    },
  };
}

/**
 * Choose one tenant by typing part of its name: the API searches every tenant (case and accents do not matter), so
 * the 201st client is as reachable as the first. Its value is the tenant id ('' for none); a form control or ngModel.
 */
@Component({
  selector: 'kr-tenant-picker',
  imports: [MatAutocompleteModule, MatFormFieldModule, MatInputModule],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => TenantPicker), multi: true }],
  template: `
    <mat-form-field [class.fill]="true">
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        type="search"
        autocomplete="off"
        [placeholder]="placeholder()"
        [value]="shown()"
        [disabled]="disabled()"
        [matAutocomplete]="auto"
        (input)="typed($any($event.target).value)"
        (blur)="touched()"
      />
      <mat-autocomplete #auto="matAutocomplete" (optionSelected)="chosen($event)">
        @if (allowNone()) {
          <mat-option value="">{{ placeholder() }}</mat-option>
        }
        @for (tenant of loaded(matches)?.items; track tenant.id) {
          <mat-option [value]="tenant.id">{{ tenant.name }}</mat-option>
        }
      </mat-autocomplete>
      <mat-hint>Type part of the name.</mat-hint>
    </mat-form-field>
  `,
  styles: '.fill { width: 100%; }',
})
export class TenantPicker implements ControlValueAccessor {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  readonly orgId = input.required<string>();
  readonly label = input('Tenant');
  /** Shown while no tenant is chosen; with `allowNone`, also the option that clears the choice. */
  readonly placeholder = input('Choose a tenant');
  readonly allowNone = input(false);

  /** What was typed or picked; null shows the name of the value the form wrote. */
  private readonly text = signal<string | null>(null);
  private readonly written = signal('');
  private readonly writtenName = resource({
    params: () => (this.written() ? { orgId: this.orgId(), id: this.written() } : undefined),
    loader: async ({ params: { orgId, id } }) => (await this.api.get<Tenant>(`/orgs/${orgId}/tenants/${id}`)).name,
  });
  protected readonly shown = computed(() => this.text() ?? loaded(this.writtenName) ?? '');
  protected readonly disabled = signal(false);
  private onChange: (id: string) => void = () => undefined;
  protected touched: () => void = () => undefined;
  private readonly search = tenantSearch(this.orgId);
  protected readonly matches = this.search.matches;

  protected typed(text: string): void {
    this.text.set(text);
    this.search.typed(text);
    // Typing over a choice undoes it until a tenant is picked again.
    this.onChange('');
  }

  protected chosen(event: MatAutocompleteSelectedEvent): void {
    const id = event.option.value as string;
    this.text.set(id ? event.option.viewValue : '');
    this.onChange(id);
  }

  writeValue(id: string | null): void {
    this.written.set(id ?? '');
    this.text.set(null);
  }

  registerOnChange(fn: (id: string) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.touched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }
}
