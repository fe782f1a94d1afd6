package serviceaccount

import (
	"context"
	"errors"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/skiff-dev/skiff/apiserver/admission"
	"github.com/skiff-dev/skiff/apiserver/storage"
)

type fakeAccounts struct {
	accounts map[string]*corev1.ServiceAccount // by namespace/name
	// appearAfter makes a missing account appear on that call (0: never).
	appearAfter int
	late        *corev1.ServiceAccount
	err         error
	calls       int
}

func (f *fakeAccounts) GetServiceAccount(_ context.Context, namespace, name string) (*corev1.ServiceAccount, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	if sa, ok := f.accounts[namespace+"/"+name]; ok {
		return sa.DeepCopy(), nil
	}
	if f.appearAfter > 0 && f.calls >= f.appearAfter {
		return f.late, nil
	}
	return nil, storage.ErrNotFound
}

func newPlugin(cached, live *fakeAccounts) (*Plugin, *[]time.Duration) {
	p := New(nil, cached, live)
	p.generateName = func(prefix string) string { return prefix + "abcde" }
	var waits []time.Duration
	p.wait = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	return p, &waits
}

var podsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}

func attrs(op admission.Operation, pod *corev1.Pod) *admission.Attributes {
	return &admission.Attributes{
		Operation: op, Kind: schema.GroupVersionKind{Version: "v1", Kind: "Pod"}, Resource: podsGVR,
		Namespace: "ns", Name: pod.Name, Object: pod,
	}
}

func account(name string, mutate ...func(*corev1.ServiceAccount)) *corev1.ServiceAccount {
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}}
	for _, m := range mutate {
		m(sa)
	}
	return sa
}

func accounts(sas ...*corev1.ServiceAccount) *fakeAccounts {
	f := &fakeAccounts{accounts: map[string]*corev1.ServiceAccount{}}
	for _, sa := range sas {
		f.accounts[sa.Namespace+"/"+sa.Name] = sa
	}
	return f
}

func pod(mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "x"},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "init"}},
			Containers:     []corev1.Container{{Name: "app"}, {Name: "side"}},
		},
	}
	for _, m := range mutate {
		m(p)
	}
	return p
}

// wantVolume is the volume a kubectl get -o yaml shows on upstream.
func wantVolume(name string) corev1.Volume {
	mode := int32(420)
	exp := int64(3607)
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
		DefaultMode: &mode,
		Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{ExpirationSeconds: &exp, Path: "token"}},
			{ConfigMap: &corev1.ConfigMapProjection{
				LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
				Items:                []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}},
			}},
			{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{
				Path: "namespace", FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"},
			}}}},
		},
	}}}
}

var tokenMount = corev1.VolumeMount{Name: "kube-api-access-abcde", ReadOnly: true, MountPath: "/var/run/secrets/kubernetes.io/serviceaccount"}

func TestAdmitMutates(t *testing.T) {
	no, yes := false, true
	tests := []struct {
		name     string
		accounts []*corev1.ServiceAccount
		pod      *corev1.Pod
		want     *corev1.Pod
	}{{
		name:     "default account, token mounted everywhere",
		accounts: []*corev1.ServiceAccount{account("default")},
		pod:      pod(),
		want: pod(func(p *corev1.Pod) {
			p.Spec.ServiceAccountName = "default"
			p.Spec.InitContainers[0].VolumeMounts = []corev1.VolumeMount{tokenMount}
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{tokenMount}
			p.Spec.Containers[1].VolumeMounts = []corev1.VolumeMount{tokenMount}
			p.Spec.Volumes = []corev1.Volume{wantVolume("kube-api-access-abcde")}
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{}
		}),
	}, {
		name: "the account's image pull secrets are copied",
		accounts: []*corev1.ServiceAccount{account("builder", func(sa *corev1.ServiceAccount) {
			sa.AutomountServiceAccountToken = &no
			sa.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "registry"}}
		})},
		pod: pod(func(p *corev1.Pod) { p.Spec.ServiceAccountName = "builder" }),
		want: pod(func(p *corev1.Pod) {
			p.Spec.ServiceAccountName = "builder"
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "registry"}}
		}),
	}, {
		name:     "the pod's own pull secrets are kept",
		accounts: []*corev1.ServiceAccount{account("default", func(sa *corev1.ServiceAccount) { sa.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "sa"}} })},
		pod: pod(func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = &no
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "mine"}}
		}),
		want: pod(func(p *corev1.Pod) {
			p.Spec.ServiceAccountName = "default"
			p.Spec.AutomountServiceAccountToken = &no
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "mine"}}
		}),
	}, {
		name:     "the pod's automount wins over the account's",
		accounts: []*corev1.ServiceAccount{account("default", func(sa *corev1.ServiceAccount) { sa.AutomountServiceAccountToken = &no })},
		pod: pod(func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = &yes
			p.Spec.InitContainers = nil
			p.Spec.Containers = p.Spec.Containers[:1]
		}),
		want: pod(func(p *corev1.Pod) {
			p.Spec.ServiceAccountName = "default"
			p.Spec.AutomountServiceAccountToken = &yes
			p.Spec.InitContainers = nil
			p.Spec.Containers = p.Spec.Containers[:1]
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{tokenMount}
			p.Spec.Volumes = []corev1.Volume{wantVolume("kube-api-access-abcde")}
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{}
		}),
	}, {
		name:     "containers mounting the path themselves are left alone",
		accounts: []*corev1.ServiceAccount{account("default")},
		pod: pod(func(p *corev1.Pod) {
			p.Spec.InitContainers = nil
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "own", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount"}}
		}),
		want: pod(func(p *corev1.Pod) {
			p.Spec.ServiceAccountName = "default"
			p.Spec.InitContainers = nil
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "own", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount"}}
			p.Spec.Containers[1].VolumeMounts = []corev1.VolumeMount{tokenMount}
			p.Spec.Volumes = []corev1.Volume{wantVolume("kube-api-access-abcde")}
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{}
		}),
	}, {
		name:     "an existing kube-api-access volume is reused",
		accounts: []*corev1.ServiceAccount{account("default")},
		pod: pod(func(p *corev1.Pod) {
			p.Spec.InitContainers = nil
			p.Spec.Containers = p.Spec.Containers[:1]
			p.Spec.Volumes = []corev1.Volume{{Name: "kube-api-access-zzzzz", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
		}),
		want: pod(func(p *corev1.Pod) {
			p.Spec.ServiceAccountName = "default"
			p.Spec.InitContainers = nil
			p.Spec.Containers = p.Spec.Containers[:1]
			p.Spec.Volumes = []corev1.Volume{{Name: "kube-api-access-zzzzz", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "kube-api-access-zzzzz", ReadOnly: true, MountPath: "/var/run/secrets/kubernetes.io/serviceaccount"}}
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{}
		}),
	}, {
		name: "mirror pods are not changed",
		pod:  pod(func(p *corev1.Pod) { p.Annotations = map[string]string{corev1.MirrorPodAnnotationKey: "x"} }),
		want: pod(func(p *corev1.Pod) { p.Annotations = map[string]string{corev1.MirrorPodAnnotationKey: "x"} }),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newPlugin(accounts(tt.accounts...), accounts())
			if err := p.Admit(context.Background(), attrs(admission.Create, tt.pod)); err != nil {
				t.Fatalf("Admit: %v", err)
			}
			if !apiequality.Semantic.DeepEqual(tt.pod, tt.want) {
				t.Errorf("pod =\n%+v\nwant\n%+v", tt.pod.Spec, tt.want.Spec)
			}
		})
	}
}

func TestAdmitRefuses(t *testing.T) {
	enforce := func(sa *corev1.ServiceAccount) {
		sa.Annotations = map[string]string{EnforceMountableSecretsAnnotation: "true"}
		sa.Secrets = []corev1.ObjectReference{{Name: "ok"}}
		sa.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "pull-ok"}}
	}
	secretEnv := func(secret string) []corev1.EnvVar {
		return []corev1.EnvVar{{Name: "E", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: secret}}}}}
	}
	mirror := func(p *corev1.Pod) { p.Annotations = map[string]string{corev1.MirrorPodAnnotationKey: "x"} }
	tests := []struct {
		name     string
		accounts []*corev1.ServiceAccount
		pod      *corev1.Pod
		wantErr  string
	}{{
		name:    "a missing account",
		pod:     pod(func(p *corev1.Pod) { p.Spec.ServiceAccountName = "ghost" }),
		wantErr: `pods "x" is forbidden: error looking up service account ns/ghost: serviceaccount "ghost" not found`,
	}, {
		name:     "a secret volume the account does not list",
		accounts: []*corev1.ServiceAccount{account("default", enforce)},
		pod: pod(func(p *corev1.Pod) {
			p.Spec.Volumes = []corev1.Volume{{Name: "s", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "other"}}}}
		}),
		wantErr: `pods "x" is forbidden: volume with secret.secretName="other" is not allowed because service account default does not reference that secret`,
	}, {
		name:     "an init container's secret env",
		accounts: []*corev1.ServiceAccount{account("default", enforce)},
		pod:      pod(func(p *corev1.Pod) { p.Spec.InitContainers[0].Env = secretEnv("other") }),
		wantErr:  `pods "x" is forbidden: init container init with envVar E referencing secret.secretName="other" is not allowed because service account default does not reference that secret`,
	}, {
		name:     "a container's envFrom",
		accounts: []*corev1.ServiceAccount{account("default", enforce)},
		pod: pod(func(p *corev1.Pod) {
			p.Spec.Containers[1].EnvFrom = []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "other"}}}}
		}),
		wantErr: `pods "x" is forbidden: container side with envFrom referencing secret.secretName="other" is not allowed because service account default does not reference that secret`,
	}, {
		name:     "an image pull secret the account does not list",
		accounts: []*corev1.ServiceAccount{account("default", enforce)},
		pod: pod(func(p *corev1.Pod) {
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "pull-ok"}, {Name: "pull-bad"}}
		}),
		wantErr: `pods "x" is forbidden: imagePullSecrets[1].name="pull-bad" is not allowed because service account default does not reference that imagePullSecret`,
	}, {
		name:    "a mirror pod naming an account",
		pod:     pod(mirror, func(p *corev1.Pod) { p.Spec.ServiceAccountName = "default" }),
		wantErr: `pods "x" is forbidden: a mirror pod may not reference service accounts`,
	}, {
		name:    "a mirror pod using a secret",
		pod:     pod(mirror, func(p *corev1.Pod) { p.Spec.Containers[0].Env = secretEnv("s") }),
		wantErr: `pods "x" is forbidden: a mirror pod may not reference secrets`,
	}, {
		name: "a mirror pod projecting a token",
		pod: pod(mirror, func(p *corev1.Pod) {
			p.Spec.Volumes = []corev1.Volume{wantVolume("v")}
		}),
		wantErr: `pods "x" is forbidden: a mirror pod may not use ServiceAccountToken volume projections`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newPlugin(accounts(tt.accounts...), accounts())
			err := p.Admit(context.Background(), attrs(admission.Create, tt.pod))
			if err == nil || err.Error() != tt.wantErr || !apierrors.IsForbidden(err) {
				t.Fatalf("Admit = %v, want Forbidden %q", err, tt.wantErr)
			}
		})
	}
}

func TestEnforcedSecretsAllowed(t *testing.T) {
	sa := account("default", func(sa *corev1.ServiceAccount) {
		sa.Annotations = map[string]string{EnforceMountableSecretsAnnotation: "true"}
		sa.Secrets = []corev1.ObjectReference{{Name: "ok"}}
	})
	p, _ := newPlugin(accounts(sa), accounts())
	pd := pod(func(p *corev1.Pod) {
		p.Spec.Volumes = []corev1.Volume{{Name: "s", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "ok"}}}}
	})
	if err := p.Admit(context.Background(), attrs(admission.Create, pd)); err != nil {
		t.Fatalf("Admit: %v", err)
	}
	// Without the annotation nothing is enforced.
	p, _ = newPlugin(accounts(account("default")), accounts())
	pd = pod(func(p *corev1.Pod) {
		p.Spec.Volumes = []corev1.Volume{{Name: "s", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "any"}}}}
	})
	if err := p.Admit(context.Background(), attrs(admission.Create, pd)); err != nil {
		t.Fatalf("Admit without enforcement: %v", err)
	}
}

func TestLookup(t *testing.T) {
	late := account("default")
	tests := []struct {
		name      string
		podSA     string
		live      *fakeAccounts
		wantErr   string
		wantCalls int
		wantWaits int
	}{{
		name:      "the default account is awaited ten times",
		live:      accounts(),
		wantErr:   `pods "x" is forbidden: error looking up service account ns/default: serviceaccount "default" not found`,
		wantCalls: 10, wantWaits: 9,
	}, {
		name: "the default account appears",
		live: &fakeAccounts{accounts: map[string]*corev1.ServiceAccount{}, appearAfter: 3, late: late},
		// Validate (run by Admit) reads it once more.
		wantCalls: 4, wantWaits: 2,
	}, {
		name:      "other accounts are read once",
		podSA:     "builder",
		live:      accounts(),
		wantErr:   `pods "x" is forbidden: error looking up service account ns/builder: serviceaccount "builder" not found`,
		wantCalls: 1,
	}, {
		name:      "storage errors are not retried",
		live:      &fakeAccounts{err: errors.New("etcd down")},
		wantErr:   `pods "x" is forbidden: error looking up service account ns/default: etcd down`,
		wantCalls: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, waits := newPlugin(accounts(), tt.live)
			pd := pod(func(p *corev1.Pod) { p.Spec.ServiceAccountName = tt.podSA })
			err := p.Admit(context.Background(), attrs(admission.Create, pd))
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Admit: %v", err)
			}
			if tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Fatalf("Admit = %v, want %q", err, tt.wantErr)
			}
			if tt.live.calls != tt.wantCalls || len(*waits) != tt.wantWaits {
				t.Errorf("live calls %d waits %d, want %d and %d", tt.live.calls, len(*waits), tt.wantCalls, tt.wantWaits)
			}
			for _, d := range *waits {
				if d < 100*time.Millisecond || d >= 200*time.Millisecond {
					t.Errorf("wait %v outside [100ms, 200ms)", d)
				}
			}
		})
	}
}

func TestIgnored(t *testing.T) {
	p, _ := newPlugin(accounts(), accounts())
	ctx := context.Background()
	// Updates of pods are not mutated.
	pd := pod()
	if err := p.Admit(ctx, attrs(admission.Update, pd)); err != nil || pd.Spec.ServiceAccountName != "" {
		t.Fatalf("update: err %v, account %q", err, pd.Spec.ServiceAccountName)
	}
	// Other subresources and resources are ignored.
	a := attrs(admission.Create, pod())
	a.Subresource = "status"
	if err := p.Admit(ctx, a); err != nil {
		t.Fatalf("status: %v", err)
	}
	a = attrs(admission.Create, pod())
	a.Resource = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	a.Object = &corev1.ConfigMap{}
	if err := p.Admit(ctx, a); err != nil {
		t.Fatalf("configmap: %v", err)
	}
	// A delete has no object.
	if err := p.Validate(ctx, &admission.Attributes{Operation: admission.Delete, Resource: podsGVR, Namespace: "ns", Name: "x"}); err != nil {
		t.Fatalf("delete: %v", err)
	}
}

func TestEphemeralContainers(t *testing.T) {
	sa := account("default", func(sa *corev1.ServiceAccount) {
		sa.Annotations = map[string]string{EnforceMountableSecretsAnnotation: "true"}
	})
	p, _ := newPlugin(accounts(sa), accounts())
	pd := pod(func(p *corev1.Pod) {
		p.Spec.ServiceAccountName = "default"
		p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
			Name:    "debug",
			EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}}}},
		}}}
	})
	a := attrs(admission.Update, pd)
	a.Subresource = "ephemeralcontainers"
	err := p.Validate(context.Background(), a)
	want := `ephemeral container debug with envFrom referencing secret.secretName="s" is not allowed because service account default does not reference that secret`
	if err == nil || err.Error() != want {
		t.Fatalf("Validate = %v, want %q", err, want)
	}
}
