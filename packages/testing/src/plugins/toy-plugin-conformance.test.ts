import { describeSslPluginConformance } from './describe-ssl-plugin-conformance.js';
import toyPlugin from './toy-plugin.js';

describeSslPluginConformance({ plugin: toyPlugin, patchSize: [8, 8, 8], steps: 20, lossFactor: 0.9 });
