// The privacy helpers only, by their own path: the SDK's index also exports server hooks
// (@feathersjs/authentication), which would otherwise ride into the form pages' bundle.
export { parseIdNumber } from '@medaffairs/plugin-sdk/privacy/index.js'
