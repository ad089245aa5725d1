import { FormControl, FormGroup, Validators } from '@angular/forms';
import { errorText, NAME_VALIDATORS, showFieldErrors } from './forms';

describe('form errors from the API', () => {
  const form = () => new FormGroup({ email: new FormControl('', [Validators.required, Validators.email]), password: new FormControl('x') });

  it('puts each field message beside its field and keeps the rest for the form', () => {
    const f = form();
    const rest = showFieldErrors(f, { status: 400, type: null, message: 'password: too short', fields: { password: 'This password is too short.' } });
    expect(rest).toBeNull();
    expect(errorText(f, 'password')).toBe('This password is too short.');
    expect(f.get('password')!.touched).toBe(true);
  });

  it('shows the whole message when the API named no field, or one the form does not have', () => {
    expect(showFieldErrors(form(), { status: 401, type: null, message: 'The email or password is not correct.', fields: {} })).toBe('The email or password is not correct.');
    expect(showFieldErrors(form(), { status: 400, type: null, message: 'property admin should not exist', fields: { admin: 'property admin should not exist' } })).toBe('property admin should not exist');
  });

  it('uses the client-side rule names when the API has not spoken', () => {
    const f = form();
    expect(errorText(f, 'email')).toBe('Required.');
    f.get('email')!.setValue('not-an-email');
    expect(errorText(f, 'email', { email: 'Enter an email address.' })).toBe('Enter an email address.');
    f.get('email')!.setValue('a@b.example');
    expect(errorText(f, 'email')).toBe('');
  });
});

describe('name fields', () => {
  it('are required and refuse only white space, in every form that has one', () => {
    const f = new FormGroup({ name: new FormControl('', NAME_VALIDATORS) });
    expect(errorText(f, 'name')).toBe('Required.');
    f.get('name')!.setValue(' \t ');
    expect(errorText(f, 'name')).toBe('Must not be blank.');
    f.get('name')!.setValue(' Client X ');
    expect([errorText(f, 'name'), f.valid]).toEqual(['', true]);
  });
});
