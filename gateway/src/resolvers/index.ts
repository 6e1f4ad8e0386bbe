import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Calculation } from './Calculation.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Submission } from './Submission.js';
import { Subscription } from './Subscription.js';

export const resolvers: Resolvers = { Query, Mutation, Subscription, Calculation, Submission };
