export { createPolicyService, defaultReaderDeps, loadEffectivePolicy, userPolicyFile, type PolicyService } from './policyService';
export { createUserPolicyStore } from './userStore';
