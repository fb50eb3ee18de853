import { t } from '../../core/i18n/index';

Component({
  data: { emptyText: t('conversations.empty') },
  methods: {},
});
