export type MessageBatchFor<T> = MessageBatch<T>;
