import type { Migration } from '@medaffairs/plugin-sdk'

/**
 * The flow engine's tables. Instances pin the definition version they started with
 * (`_flow_versions` keeps every version used, so a running instance never depends on the
 * definitions service still having it). Steps are the visits of nodes; tasks are the work
 * of one person in a step; comments are the review conversation.
 */
export const flowMigrations: Migration[] = [
  {
    id: '20261127000000-flow-engine',
    async up(db) {
      await db.query(`CREATE TABLE _flow_versions (
        flow_key text NOT NULL, version integer NOT NULL, body jsonb NOT NULL,
        pinned_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (flow_key, version))`)
      await db.query(`CREATE TABLE _flow_instances (
        id text PRIMARY KEY, flow_key text NOT NULL, version integer NOT NULL,
        collection text NOT NULL, record_id text NOT NULL, dept_id text,
        state text NOT NULL, outcome text, active text[] NOT NULL DEFAULT '{}',
        started_by text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), ended_at timestamptz)`)
      // One running instance per record and flow; finished ones stay as history.
      await db.query(
        `CREATE UNIQUE INDEX _flow_instances_running_idx ON _flow_instances (collection, record_id, flow_key) WHERE state = 'running'`
      )
      await db.query(
        'CREATE INDEX _flow_instances_record_idx ON _flow_instances (collection, record_id, id DESC)'
      )
      await db.query('CREATE INDEX _flow_instances_starter_idx ON _flow_instances (started_by, id DESC)')
      await db.query(`CREATE TABLE _flow_steps (
        id text PRIMARY KEY, instance_id text NOT NULL, node_id text NOT NULL, round integer NOT NULL,
        state text NOT NULL, decision text, prev_step_id text, data jsonb NOT NULL DEFAULT '{}',
        due_at timestamptz, escalate_at timestamptz, repeat_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(), ended_at timestamptz)`)
      await db.query('CREATE INDEX _flow_steps_instance_idx ON _flow_steps (instance_id, id)')
      // The timer sweep reads only open steps whose time has come.
      await db.query(
        `CREATE INDEX _flow_steps_due_idx ON _flow_steps (due_at) WHERE state = 'active' AND due_at IS NOT NULL`
      )
      await db.query(
        `CREATE INDEX _flow_steps_escalate_idx ON _flow_steps (escalate_at) WHERE state = 'active' AND escalate_at IS NOT NULL`
      )
      await db.query(
        `CREATE INDEX _flow_steps_repeat_idx ON _flow_steps (repeat_at) WHERE state = 'active' AND repeat_at IS NOT NULL`
      )
      await db.query(`CREATE TABLE _flow_tasks (
        id text PRIMARY KEY, instance_id text NOT NULL, step_id text NOT NULL, node_id text NOT NULL,
        assignee_id text NOT NULL, kind text NOT NULL, state text NOT NULL, decision text, comment text,
        scores jsonb, vote text, data jsonb, due_at timestamptz, remind_at timestamptz, added_by text,
        created_at timestamptz NOT NULL DEFAULT now(), done_at timestamptz)`)
      await db.query('CREATE INDEX _flow_tasks_step_idx ON _flow_tasks (step_id)')
      await db.query('CREATE INDEX _flow_tasks_instance_idx ON _flow_tasks (instance_id, assignee_id)')
      // The inbox boxes: each is one index range scan in keyset order, however many past tasks.
      await db.query(
        `CREATE INDEX _flow_tasks_todo_idx ON _flow_tasks (assignee_id, id DESC) WHERE state = 'pending' AND kind <> 'cc'`
      )
      await db.query(
        `CREATE INDEX _flow_tasks_done_idx ON _flow_tasks (assignee_id, done_at DESC, id DESC) WHERE state = 'done' AND kind <> 'cc'`
      )
      await db.query(
        `CREATE INDEX _flow_tasks_cc_idx ON _flow_tasks (assignee_id, id DESC) WHERE kind = 'cc'`
      )
      await db.query(
        `CREATE INDEX _flow_tasks_remind_idx ON _flow_tasks (remind_at) WHERE state = 'pending' AND remind_at IS NOT NULL`
      )
      await db.query(`CREATE TABLE _flow_comments (
        id text PRIMARY KEY, instance_id text NOT NULL, task_id text, node_id text, author_id text NOT NULL,
        text text NOT NULL, attachments jsonb NOT NULL DEFAULT '[]', created_at timestamptz NOT NULL DEFAULT now())`)
      await db.query('CREATE INDEX _flow_comments_instance_idx ON _flow_comments (instance_id, id)')
    }
  }
]
