/**
 * The browser-safe parts of plugin-sdk the web app uses at run time. Imported by path:
 * the SDK's root entry also exports server helpers (forms, flows, jobs) whose libraries
 * do not run in a browser. Types may still come from '@medaffairs/plugin-sdk'.
 */
export { ACTIONS, SCOPES } from '@medaffairs/plugin-sdk/acl.js'
export { MASK_KINDS, maskValue } from '@medaffairs/plugin-sdk/privacy/masking.js'
export { validateFlow, ruleComplete } from '@medaffairs/plugin-sdk/flow-validate.js'
export { FIELD_KINDS } from '@medaffairs/plugin-sdk/forms.js'
export { FLOW_EDGE_DECISIONS, FLOW_NODE_TYPES, FLOW_TASK_TYPES } from '@medaffairs/plugin-sdk/flows.js'
export { PEOPLE_MAX_IDS, RECORD_ID_PATTERN } from '@medaffairs/plugin-sdk/people.js'
