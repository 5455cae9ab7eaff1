export { createJobQueue, jobsSchemaFor, type JobQueueDeps, type JobQueueSettings } from './job-queue.js';
export { deadLetterQueueOf } from './queue-depth.js';
export type { JobContext, JobDefinition, JobQueue, QueueDepth, ScheduleDefinition, SendOptions } from './job-queue.types.js';
