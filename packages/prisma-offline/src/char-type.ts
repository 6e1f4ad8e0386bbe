// Postgres' internal one-byte `"char"` type (OID 18) is how pg_constraint.contype comes back, and
// the engine's schema describer reads that column as a Rust char. adapter-pg has no mapping for
// the type and fails the whole query ("Unsupported column type char"). Merely relabelling it as
// `text` gets the query through but then panics the describer as soon as a table has a CHECK
// constraint (or, on Postgres 18, any NOT NULL column). So we relabel it as text for adapter-pg's
// benefit, note which result columns were `"char"`, and report those to the engine as Character.
import pg from 'pg';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlQueryable,
  type Transaction,
} from '@prisma/driver-adapter-utils';

const CHAR_OID = 18;
const TEXT_OID = 25;

/** The `"char"` column positions of a result, keyed by its rows array, which adapter-pg passes on as is. */
const charColumns = new WeakMap<unknown[], number[]>();

const resultProto = pg.Result.prototype as unknown as { addFields(fields: pg.FieldDef[]): void; rows: unknown[] };
const addFields = resultProto.addFields;
resultProto.addFields = function (fields) {
  const positions = fields.flatMap((field, i) => (field.dataTypeID === CHAR_OID ? [i] : []));
  for (const i of positions) fields[i]!.dataTypeID = TEXT_OID;
  if (positions.length > 0) charColumns.set(this.rows, positions);
  addFields.call(this, fields);
};

function restoreCharColumns<T extends SqlQueryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

/** Makes an adapter-pg connection report `"char"` columns the way the engine expects. */
export function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) =>
    restoreCharColumns<Transaction>(await startTransaction(isolationLevel));
  return restoreCharColumns(adapter);
}
