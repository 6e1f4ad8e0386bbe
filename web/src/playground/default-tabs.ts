import type { GraphiQLProps } from 'graphiql';

/**
 * What a first visit shows, one tab per kind of operation (GraphiQL keeps the visitor's own tabs
 * in localStorage afterwards). To watch results arrive, run the Live tab and submit from the app
 * or another window: GraphiQL stops a running subscription when you switch tabs.
 */
export const DEFAULT_TABS: NonNullable<GraphiQLProps['defaultTabs']> = [
  {
    query: `# Every index ever submitted, newest first. Run: Ctrl-Enter.
query Values {
  values(limit: 10) {
    index
    submittedAt
  }
}
`,
  },
  {
    query: `# Store an index and have F(index) computed.
mutation Submit($index: Int!) {
  submitValue(index: $index) {
    index
    status
    digits
    value
  }
}
`,
    variables: '{ "index": 42 }',
  },
  {
    query: `# Every result as it is computed, live.
subscription Live {
  valueCalculated {
    index
    status
    digits
    value
  }
}
`,
  },
];
