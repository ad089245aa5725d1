import { readImportBody } from './import-input';
import { ImportError } from './import.errors';

describe('reading an import body', () => {
  it('numbers CSV rows by their line in the file, whatever blank lines and quoted line breaks come before', () => {
    const rows = readImportBody('\uFEFFTenant,Widget,huggy_widget_uuid,Huggy Company ID,SECRET\r\nA,"Two\nlines",,,\r\n\r\nB,Site,,,s3cret-value\r\n');
    expect(rows).toEqual([
      { row: 3, values: { tenant: 'A', widget: 'Two\nlines' } },
      { row: 5, values: { tenant: 'B', widget: 'Site', secret: 's3cret-value' } },
    ]);
  });

  it("takes off the inventory's formula guard, but never changes a secret", () => {
    const [row] = readImportBody("tenant,widget,secret\n'=Client,'+Site,'=not-trimmed ");
    expect(row.values).toEqual({ tenant: '=Client', widget: '+Site', secret: "'=not-trimmed " });
  });

  it('names a malformed file by line without quoting it', () => {
    let thrown: unknown;
    try {
      readImportBody('tenant,widget,secret\nA,B,"my-secret-value');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImportError);
    expect((thrown as ImportError).message).toBe('The CSV cannot be read at line 2: a quoted cell is never closed.');
  });
});
