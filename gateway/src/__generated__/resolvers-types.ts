import type { GraphQLResolveInfo } from 'graphql';
import type { CalculationModel, SubmissionModel } from '../models.js';
import type { GatewayContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string };
  String: { input: string; output: string };
  Boolean: { input: boolean; output: boolean };
  Int: { input: number; output: number };
  Float: { input: number; output: number };
};

/** One Fibonacci index and what is known of F(index). Results live in Redis. */
export type Calculation = {
  __typename?: 'Calculation';
  /** Milliseconds the worker spent computing the value; null until DONE. */
  computeMs?: Maybe<Scalars['Int']['output']>;
  /**
   * On a valueCalculated event: its position in the feed of results, to resume after
   * (valueCalculated(after:)). Null where a Calculation is read by a query.
   */
  cursor?: Maybe<Scalars['ID']['output']>;
  /** Number of decimal digits of the value; null until DONE. */
  digits?: Maybe<Scalars['Int']['output']>;
  /** Why the calculation failed; null unless status is FAILED. */
  error?: Maybe<Scalars['String']['output']>;
  index: Scalars['Int']['output'];
  /** The value itself when short, else its first and last 20 digits around an ellipsis; null until DONE. */
  preview?: Maybe<Scalars['String']['output']>;
  status: CalculationStatus;
  /** When the status last changed (ISO 8601). */
  updatedAt?: Maybe<Scalars['String']['output']>;
  /** Exact decimal digits of F(index); null until status is DONE. Read from Redis only when asked for. */
  value?: Maybe<Scalars['String']['output']>;
};

export type CalculationStatus = 'DONE' | 'FAILED' | 'PENDING';

export type Limits = {
  __typename?: 'Limits';
  /** Largest allowed index (MAX_INDEX). */
  maxIndex: Scalars['Int']['output'];
  /** Largest allowed list limit. */
  maxListLimit: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Store the index in Postgres and have it computed. Returns at once with the current state:
   * DONE with the value when it is already cached, PENDING otherwise.
   */
  submitValue: Calculation;
};

export type MutationSubmitValueArgs = {
  index: Scalars['Int']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** What is known of one index; null when it was never submitted (or Redis has not caught up yet). */
  calculation?: Maybe<Calculation>;
  /**
   * The current results (from Redis), most recently submitted first. limit: 1..100. With `before`
   * (the index of the last entry of a page), the next page: the entries that come after it now.
   */
  calculations: Array<Calculation>;
  /**
   * The newest position in the feed of results, now. Read it before the lists, then subscribe with
   * valueCalculated(after:) from it: every result finished after this read is replayed or live.
   */
  feedCursor: Scalars['ID']['output'];
  /** Limits the server enforces, so clients can refuse bad input before sending it. */
  limits: Limits;
  /**
   * Every index ever submitted, newest first (from Postgres). limit: 1..100. With `before` (the id of
   * the last submission of a page), the next page: the submissions that come after it in this order.
   */
  values: Array<Submission>;
};

export type QueryCalculationArgs = {
  index: Scalars['Int']['input'];
};

export type QueryCalculationsArgs = {
  before?: InputMaybe<Scalars['Int']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
};

export type QueryValuesArgs = {
  before?: InputMaybe<Scalars['ID']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** One accepted submission of an index, as stored in Postgres. */
export type Submission = {
  __typename?: 'Submission';
  /** What is known of this index now (read from Redis when asked for); null when Redis has no entry. */
  calculation?: Maybe<Calculation>;
  id: Scalars['ID']['output'];
  index: Scalars['Int']['output'];
  /** When it was submitted (ISO 8601). */
  submittedAt: Scalars['String']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Every result as the worker finishes it, to every connected client, each with its `cursor`. With
   * `after` (a cursor from an earlier event, or feedCursor), every result finished after it comes
   * first, oldest first, then live: no gap and no repeat, whichever gateway serves the socket. A
   * cursor older than the kept feed (the newest 10,000 results), or from before Redis lost its data,
   * is answered CURSOR_EXPIRED: reload the lists, then subscribe from a new feedCursor.
   */
  valueCalculated: Calculation;
  /**
   * Every accepted submission, from any client, once it is stored and queued. With `after` (the id
   * of the newest submission the client has, e.g. from `values`), the submissions stored after it
   * come first, oldest first, so none stored between the client's read and its subscription is
   * missed (submissions are stored one at a time, so ids never commit out of order). More than 100
   * stored since is CURSOR_EXPIRED: reload the list, then subscribe after its newest.
   */
  valueSubmitted: Submission;
};

export type SubscriptionValueCalculatedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
};

export type SubscriptionValueSubmittedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<
  TResult,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<
  TResult,
  TKey extends string,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo,
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  obj: T,
  context: TContext,
  info: GraphQLResolveInfo,
) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<
  TResult = Record<PropertyKey, never>,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => TResult | Promise<TResult>;

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Calculation: ResolverTypeWrapper<CalculationModel>;
  CalculationStatus: CalculationStatus;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Limits: ResolverTypeWrapper<Limits>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Submission: ResolverTypeWrapper<SubmissionModel>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Boolean: Scalars['Boolean']['output'];
  Calculation: CalculationModel;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Limits: Limits;
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  String: Scalars['String']['output'];
  Submission: SubmissionModel;
  Subscription: Record<PropertyKey, never>;
}>;

export type CalculationResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Calculation'] = ResolversParentTypes['Calculation'],
> = ResolversObject<{
  computeMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  cursor?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  digits?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  preview?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CalculationStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type LimitsResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Limits'] = ResolversParentTypes['Limits'],
> = ResolversObject<{
  maxIndex?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxListLimit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MutationResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation'],
> = ResolversObject<{
  submitValue?: Resolver<
    ResolversTypes['Calculation'],
    ParentType,
    ContextType,
    RequireFields<MutationSubmitValueArgs, 'index'>
  >;
}>;

export type QueryResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query'],
> = ResolversObject<{
  calculation?: Resolver<
    Maybe<ResolversTypes['Calculation']>,
    ParentType,
    ContextType,
    RequireFields<QueryCalculationArgs, 'index'>
  >;
  calculations?: Resolver<
    Array<ResolversTypes['Calculation']>,
    ParentType,
    ContextType,
    RequireFields<QueryCalculationsArgs, 'limit'>
  >;
  feedCursor?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  limits?: Resolver<ResolversTypes['Limits'], ParentType, ContextType>;
  values?: Resolver<
    Array<ResolversTypes['Submission']>,
    ParentType,
    ContextType,
    RequireFields<QueryValuesArgs, 'limit'>
  >;
}>;

export type SubmissionResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Submission'] = ResolversParentTypes['Submission'],
> = ResolversObject<{
  calculation?: Resolver<Maybe<ResolversTypes['Calculation']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  submittedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription'],
> = ResolversObject<{
  valueCalculated?: SubscriptionResolver<
    ResolversTypes['Calculation'],
    'valueCalculated',
    ParentType,
    ContextType,
    Partial<SubscriptionValueCalculatedArgs>
  >;
  valueSubmitted?: SubscriptionResolver<
    ResolversTypes['Submission'],
    'valueSubmitted',
    ParentType,
    ContextType,
    Partial<SubscriptionValueSubmittedArgs>
  >;
}>;

export type Resolvers<ContextType = GatewayContext> = ResolversObject<{
  Calculation?: CalculationResolvers<ContextType>;
  Limits?: LimitsResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Submission?: SubmissionResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;
