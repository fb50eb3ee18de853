import { t } from '../../core/i18n/index';

Component({
  data: { title: t('chat.title') },
  methods: {},
});
