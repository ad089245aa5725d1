import { Component, forwardRef, input, signal } from '@angular/core';
import { type ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';
import { MatAutocompleteModule, type MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import type { TenantRef } from '@keyring/contracts';
import { loaded } from '../shared/loaded';
import { tenantSearch } from './tenant-picker';

/**
 * Choose several tenants by typing part of each name (a member's tenants): every tenant is reachable, however many
 * there are. Its value is the chosen tenants with their names (empty for none); a form control or ngModel.
 */
@Component({
  selector: 'kr-tenants-picker',
  imports: [MatAutocompleteModule, MatChipsModule, MatFormFieldModule, MatIconModule],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => TenantsPicker), multi: true }],
  template: `
    <mat-form-field class="fill">
      <mat-label>{{ label() }}</mat-label>
      <mat-chip-grid #chips [attr.aria-label]="label()" [disabled]="disabled()">
        @for (tenant of chosen(); track tenant.id) {
          <mat-chip-row (removed)="remove(tenant)">
            {{ tenant.name }}
            <button matChipRemove type="button" [attr.aria-label]="'Remove ' + tenant.name"><mat-icon>cancel</mat-icon></button>
          </mat-chip-row>
        }
        <input
          #field
          type="search"
          autocomplete="off"
          [placeholder]="chosen().length ? '' : placeholder()"
          [matChipInputFor]="chips"
          [matAutocomplete]="auto"
          (input)="search.typed(field.value)"
          (blur)="touched()"
        />
      </mat-chip-grid>
      <mat-autocomplete #auto="matAutocomplete" (optionSelected)="add($event); field.value = ''">
        @for (tenant of loaded(search.matches)?.items; track tenant.id) {
          <mat-option [value]="tenant" [disabled]="isChosen(tenant.id)">{{ tenant.name }}</mat-option>
        }
      </mat-autocomplete>
      <mat-hint>{{ hint() }}</mat-hint>
    </mat-form-field>
  `,
  styles: '.fill { width: 100%; }',
})
export class TenantsPicker implements ControlValueAccessor {
  protected readonly loaded = loaded;
  readonly orgId = input.required<string>();
  readonly label = input('Tenants');
  readonly placeholder = input('All tenants');
  readonly hint = input('Type part of a name; none for all tenants.');
  protected readonly search = tenantSearch(this.orgId);
  protected readonly chosen = signal<TenantRef[]>([]);
  protected readonly disabled = signal(false);
  private onChange: (tenants: TenantRef[]) => void = () => undefined;
  protected touched: () => void = () => undefined;

  protected isChosen(id: string): boolean {
    return this.chosen().some((tenant) => tenant.id === id);
  }

  protected add(event: MatAutocompleteSelectedEvent): void {
    const { id, name } = event.option.value as TenantRef;
    if (!this.isChosen(id)) this.set([...this.chosen(), { id, name }]);
  }

  protected remove(tenant: TenantRef): void {
    this.set(this.chosen().filter((other) => other.id !== tenant.id));
  }

  private set(tenants: TenantRef[]): void {
    this.chosen.set(tenants);
    this.onChange(tenants);
  }

  writeValue(tenants: TenantRef[] | null): void {
    this.chosen.set(tenants ?? []);
  }

  registerOnChange(fn: (tenants: TenantRef[]) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.touched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }
}
