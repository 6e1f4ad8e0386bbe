/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  '\n  fragment CalculationItem on Calculation {\n    index\n    status\n    digits\n    preview\n    computeMs\n    updatedAt\n    error\n  }\n': typeof types.CalculationItemFragmentDoc;
  '\n  query CalculationValue($index: Int!) {\n    calculation(index: $index) {\n      index\n      value\n    }\n  }\n': typeof types.CalculationValueDocument;
  '\n  query Calculations($limit: Int!, $before: Int) {\n    calculations(limit: $limit, before: $before) {\n      index\n      ...CalculationItem\n    }\n  }\n': typeof types.CalculationsDocument;
  '\n  query FeedCursor {\n    feedCursor\n  }\n': typeof types.FeedCursorDocument;
  '\n  subscription ValueCalculated($after: ID) {\n    valueCalculated(after: $after) {\n      index\n      status\n      digits\n      preview\n      cursor\n      ...CalculationItem\n    }\n  }\n': typeof types.ValueCalculatedDocument;
  '\n  fragment SubmissionItem on Submission {\n    id\n    index\n    submittedAt\n  }\n': typeof types.SubmissionItemFragmentDoc;
  '\n  subscription ValueSubmitted($after: ID) {\n    valueSubmitted(after: $after) {\n      id\n      ...SubmissionItem\n      calculation {\n        index\n        ...CalculationItem\n      }\n    }\n  }\n': typeof types.ValueSubmittedDocument;
  '\n  query Values($limit: Int!, $before: ID) {\n    values(limit: $limit, before: $before) {\n      id\n      ...SubmissionItem\n    }\n  }\n': typeof types.ValuesDocument;
  '\n  query Limits {\n    limits {\n      maxIndex\n    }\n  }\n': typeof types.LimitsDocument;
  '\n  mutation SubmitValue($index: Int!) {\n    submitValue(index: $index) {\n      index\n      status\n      digits\n      preview\n      ...CalculationItem\n    }\n  }\n': typeof types.SubmitValueDocument;
};
const documents: Documents = {
  '\n  fragment CalculationItem on Calculation {\n    index\n    status\n    digits\n    preview\n    computeMs\n    updatedAt\n    error\n  }\n':
    types.CalculationItemFragmentDoc,
  '\n  query CalculationValue($index: Int!) {\n    calculation(index: $index) {\n      index\n      value\n    }\n  }\n':
    types.CalculationValueDocument,
  '\n  query Calculations($limit: Int!, $before: Int) {\n    calculations(limit: $limit, before: $before) {\n      index\n      ...CalculationItem\n    }\n  }\n':
    types.CalculationsDocument,
  '\n  query FeedCursor {\n    feedCursor\n  }\n': types.FeedCursorDocument,
  '\n  subscription ValueCalculated($after: ID) {\n    valueCalculated(after: $after) {\n      index\n      status\n      digits\n      preview\n      cursor\n      ...CalculationItem\n    }\n  }\n':
    types.ValueCalculatedDocument,
  '\n  fragment SubmissionItem on Submission {\n    id\n    index\n    submittedAt\n  }\n':
    types.SubmissionItemFragmentDoc,
  '\n  subscription ValueSubmitted($after: ID) {\n    valueSubmitted(after: $after) {\n      id\n      ...SubmissionItem\n      calculation {\n        index\n        ...CalculationItem\n      }\n    }\n  }\n':
    types.ValueSubmittedDocument,
  '\n  query Values($limit: Int!, $before: ID) {\n    values(limit: $limit, before: $before) {\n      id\n      ...SubmissionItem\n    }\n  }\n':
    types.ValuesDocument,
  '\n  query Limits {\n    limits {\n      maxIndex\n    }\n  }\n': types.LimitsDocument,
  '\n  mutation SubmitValue($index: Int!) {\n    submitValue(index: $index) {\n      index\n      status\n      digits\n      preview\n      ...CalculationItem\n    }\n  }\n':
    types.SubmitValueDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment CalculationItem on Calculation {\n    index\n    status\n    digits\n    preview\n    computeMs\n    updatedAt\n    error\n  }\n',
): (typeof documents)['\n  fragment CalculationItem on Calculation {\n    index\n    status\n    digits\n    preview\n    computeMs\n    updatedAt\n    error\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CalculationValue($index: Int!) {\n    calculation(index: $index) {\n      index\n      value\n    }\n  }\n',
): (typeof documents)['\n  query CalculationValue($index: Int!) {\n    calculation(index: $index) {\n      index\n      value\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Calculations($limit: Int!, $before: Int) {\n    calculations(limit: $limit, before: $before) {\n      index\n      ...CalculationItem\n    }\n  }\n',
): (typeof documents)['\n  query Calculations($limit: Int!, $before: Int) {\n    calculations(limit: $limit, before: $before) {\n      index\n      ...CalculationItem\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query FeedCursor {\n    feedCursor\n  }\n',
): (typeof documents)['\n  query FeedCursor {\n    feedCursor\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ValueCalculated($after: ID) {\n    valueCalculated(after: $after) {\n      index\n      status\n      digits\n      preview\n      cursor\n      ...CalculationItem\n    }\n  }\n',
): (typeof documents)['\n  subscription ValueCalculated($after: ID) {\n    valueCalculated(after: $after) {\n      index\n      status\n      digits\n      preview\n      cursor\n      ...CalculationItem\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment SubmissionItem on Submission {\n    id\n    index\n    submittedAt\n  }\n',
): (typeof documents)['\n  fragment SubmissionItem on Submission {\n    id\n    index\n    submittedAt\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ValueSubmitted($after: ID) {\n    valueSubmitted(after: $after) {\n      id\n      ...SubmissionItem\n      calculation {\n        index\n        ...CalculationItem\n      }\n    }\n  }\n',
): (typeof documents)['\n  subscription ValueSubmitted($after: ID) {\n    valueSubmitted(after: $after) {\n      id\n      ...SubmissionItem\n      calculation {\n        index\n        ...CalculationItem\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Values($limit: Int!, $before: ID) {\n    values(limit: $limit, before: $before) {\n      id\n      ...SubmissionItem\n    }\n  }\n',
): (typeof documents)['\n  query Values($limit: Int!, $before: ID) {\n    values(limit: $limit, before: $before) {\n      id\n      ...SubmissionItem\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Limits {\n    limits {\n      maxIndex\n    }\n  }\n',
): (typeof documents)['\n  query Limits {\n    limits {\n      maxIndex\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SubmitValue($index: Int!) {\n    submitValue(index: $index) {\n      index\n      status\n      digits\n      preview\n      ...CalculationItem\n    }\n  }\n',
): (typeof documents)['\n  mutation SubmitValue($index: Int!) {\n    submitValue(index: $index) {\n      index\n      status\n      digits\n      preview\n      ...CalculationItem\n    }\n  }\n'];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
