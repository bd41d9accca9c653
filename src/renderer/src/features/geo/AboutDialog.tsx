import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Divider,
  Group,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import type { GeoAbout, GeoSource } from '../../../../shared/contract';
import { fieldErrorsOf } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProofField, proofInput } from '../../components/ProofField';
import { VisibleText } from '../../components/VisibleText';
import { useProofNeeded } from '../session/reauth';
import { geoAboutQuery, useSetGeoDirectory } from './queries';

const provides: Record<GeoSource['provides'], string> = {
  location: 'Countries and coordinates',
  asn: 'Networks (autonomous systems)',
};

function SourceCard(props: { source: GeoSource }) {
  const { source } = props;
  return (
    <Card withBorder padding="sm">
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600} style={{ minWidth: 0 }}>
            <VisibleText>{source.name}</VisibleText>
          </Text>
          <Badge
            variant="light"
            color={source.bundled ? 'gray' : 'indigo'}
            style={{ flexShrink: 0, overflow: 'visible' }}
          >
            {source.bundled ? 'Bundled' : 'Your file'}
          </Badge>
        </Group>
        <Text size="sm">{provides[source.provides]}</Text>
        <Text size="sm">
          Licence: {source.licence} · Data of {source.dataDate ?? 'an unknown date'}
        </Text>
        <Text size="sm">
          <VisibleText>{source.attribution}</VisibleText>
          {source.url ? (
            <>
              {' · '}
              {/* The address itself as the text: the desktop app opens no other window. */}
              <Anchor
                underline="always"
                href={source.url}
                target="_blank"
                rel="noopener noreferrer"
              >
                {source.url}
              </Anchor>
            </>
          ) : null}
        </Text>
        {source.notice ? (
          <Alert color="yellow" variant="light" p="xs">
            <Text size="xs">{source.notice}</Text>
          </Alert>
        ) : null}
      </Stack>
    </Card>
  );
}

function whereFrom(about: GeoAbout): string {
  switch (about.origin) {
    case 'bundled':
      return 'The console uses its bundled databases.';
    case 'settings':
      return `The console uses the .mmdb files in ${about.directory}.`;
    case 'environment':
      return `The console uses the .mmdb files in ${about.directory} (set by ORG2FA_GEOIP_DIR on this machine; unset it to choose here).`;
    case 'off':
      return 'Location lookups are turned off on this machine (ORG2FA_GEOIP=off).';
  }
}

/** The admin's own folder of GeoLite2/GeoIP2/DB-IP files, or the bundled data again. */
function DirectoryForm(props: { about: GeoAbout }) {
  const save = useSetGeoDirectory();
  const proof = useProofNeeded('geo.setDirectory', save.error);
  const form = useForm({
    initialValues: {
      directory: props.about.origin === 'settings' ? (props.about.directory ?? '') : '',
      proof: '',
    },
  });
  const locked = props.about.origin === 'environment' || props.about.origin === 'off';
  const refused = fieldErrorsOf(save.error);
  const submit = (directory: string | null) =>
    save.mutate(
      { directory, ...proofInput(proof.method, form.values.proof) },
      {
        onSuccess: () => {
          void proof.refresh();
          form.setFieldValue('proof', '');
        },
      },
    );
  return (
    <form noValidate onSubmit={form.onSubmit(({ directory }) => submit(directory.trim() || null))}>
      <Stack gap="sm">
        <TextInput
          label="Your own databases"
          description="The full path of a folder on this machine holding GeoLite2 or GeoIP2 City, Country or ASN files, or DB-IP Lite files (.mmdb). Each kind you provide replaces the bundled one; every address of the trail is then located again."
          placeholder="/var/lib/GeoIP"
          disabled={locked}
          error={refused.directory}
          {...form.getInputProps('directory')}
        />
        {proof.needed && !locked ? (
          <ProofField
            method={proof.method}
            value={form.values.proof}
            error={refused.code ?? refused.currentPassword ?? proof.fieldError}
            onChange={(value) => form.setFieldValue('proof', value)}
          />
        ) : null}
        <ErrorAlert error={refused.directory ? null : save.error} title="Databases not changed" />
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={locked || props.about.origin === 'bundled'}
            loading={save.isPending || !proof.known}
            onClick={() => submit(null)}
          >
            Use the bundled data
          </Button>
          <Button type="submit" disabled={locked} loading={save.isPending || !proof.known}>
            Use this folder
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function LocationData() {
  const about = useQuery(geoAboutQuery());
  if (about.error)
    return <ErrorAlert error={about.error} title="Location data could not be read" />;
  if (!about.data) return null;
  const data = about.data;
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Location data
      </Title>
      <Text size="sm">
        {whereFrom(data)} {data.located.toLocaleString()} addresses located.
        {data.origin !== 'off'
          ? data.hasCoordinates
            ? ' Locations carry coordinates.'
            : ' Locations are countries only: travel between non-neighbouring countries is judged by borders.'
          : null}
      </Text>
      {data.problem ? (
        <Alert color="red" variant="light" title="Your folder is not in use">
          <VisibleText>{data.problem}</VisibleText> The bundled databases stand in.
        </Alert>
      ) : null}
      {data.sources.map((source) => (
        <SourceCard key={`${source.provides}:${source.name}`} source={source} />
      ))}
      <DirectoryForm key={`${data.origin}:${data.directory ?? ''}`} about={data} />
    </Stack>
  );
}

/** The shell's About: what the console is and, for admins, whose data locates addresses. */
export function AboutDialog(props: { opened: boolean; isAdmin: boolean; onClose(): void }) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="About Org 2FA Console" size="lg">
      <Stack gap="md">
        <Text size="sm">
          Organization-wide two-factor authentication: enrollment, rollout, the audit trail and its
          detections, offline on this machine.
        </Text>
        {props.opened && props.isAdmin ? (
          <>
            <Divider />
            <LocationData />
          </>
        ) : null}
      </Stack>
    </Modal>
  );
}
