/**
 * The life cycle of a task, as Kafka Streams' `Task.State`:
 *
 * ```
 * created ──▶ restoring ──▶ running
 *    │            │  ▲          │
 *    ▼            ▼  │          ▼
 *    └────────▶ suspended ◀─────┘ ──▶ closed ──▶ created (revive)
 * ```
 *
 * Allowed: created → restoring | suspended; restoring → running | suspended; running → suspended;
 * suspended → restoring | closed; closed → created.
 */
export type TaskState = 'created' | 'restoring' | 'running' | 'suspended' | 'closed';
