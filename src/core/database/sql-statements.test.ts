import { describe, expect, it } from 'vitest';
import { parseSql } from './sql-statements.js';

describe('parseSql', () => {
  it('splits with the real grammar: function bodies and comments stay whole, multibyte text too', async () => {
    const sql = `-- café ✓
create table a (id int, note text default 'ação; não');
create function f() returns int language sql as $$ select 1; $$;
insert into a values (1, 'x;y');`;
    const parsed = await parseSql(sql, '001_a.up.sql');
    expect(parsed.kinds).toEqual(['CreateStmt', 'CreateFunctionStmt', 'InsertStmt']);
    expect(parsed.statements[0]).toBe("create table a (id int, note text default 'ação; não')");
    expect(parsed.statements[1]).toBe(
      'create function f() returns int language sql as $$ select 1; $$',
    );
    expect(parsed.statements[2]).toBe("insert into a values (1, 'x;y')");
  });

  it('reports a syntax error with the file, line and column the parser gives', async () => {
    await expect(
      parseSql('select 1;\n-- ✓ ✓\nselect frm where;\n', '002_b.up.sql'),
    ).rejects.toMatchObject({
      code: 'MIGRATION_SYNTAX',
      kind: 'invalid-input',
      message: '002_b.up.sql:3:17: syntax error at or near ";"',
      details: { file: '002_b.up.sql', line: 3, column: 17 },
    });
  });

  it('sees transaction control statements', async () => {
    expect((await parseSql('begin; select 1; commit;', 'x')).kinds).toEqual([
      'TransactionStmt',
      'SelectStmt',
      'TransactionStmt',
    ]);
  });
});
