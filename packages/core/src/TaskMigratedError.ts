import { StreamsError } from './StreamsError.js';

/** The task now belongs to another thread or instance (fenced producer, lost partitions): close it dirty and rejoin the group. */
export class TaskMigratedError extends StreamsError {}
